import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** What is not the repository's content: git's own folder and what `.gitignore` keeps out (installs, builds, data, logs). */
const NOT_CONTENT = new Set(['.git', 'node_modules', 'dist', '.data']);
const LOG_FILE = /\.log$/;

/** The sibling folder the project once read its fixtures and design from; a clone has no such folder. */
const SIBLING_FOLDER = /\.\.\/shared\b|\bshared\/(?:conformance|design)\b/;

const CODE_FILE = /\.[cm]?[jt]s$/;
/** Relative module specifiers, and paths that code resolves against its own module URL. */
const CODE_PATH = /(?:\bfrom\s*|\bimport\(\s*)['"](\.\.?\/[^'"]*)['"]|new URL\(\s*['"`](\.\.?\/[^'"`$]*)['"`]\s*,\s*import\.meta\.url/g;
/** Relative link targets in Markdown (not URLs, anchors or site-absolute paths). */
const MARKDOWN_LINK = /\]\((?![a-z][\w+.-]*:|#|\/)([^)\s]+)\)/gi;

/** Every file of the repository at `root`, as a `/`-separated path from the root, sorted. */
export function repositoryFiles(root: string, folder = ''): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true })
    .flatMap((entry) => {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return NOT_CONTENT.has(entry.name) ? [] : repositoryFiles(root, path);
      return entry.isFile() && !LOG_FILE.test(entry.name) ? [path] : [];
    })
    .sort();
}

function escapesRoot(root: string, file: string, target: string): boolean {
  const fromRoot = relative(root, resolve(root, dirname(file), target));
  return fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot);
}

/**
 * Every line of the repository at `root` that refers to something outside it, as `file:line: what`: a mention of the
 * sibling `shared/` folder in any text file, and, in code and Markdown, a relative import, module-relative URL or link
 * that resolves above the root. A fresh clone has nothing there, so each of these breaks it.
 */
export function outsideReferences(root: string): string[] {
  return repositoryFiles(root).flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    if (text.includes('\0')) return []; // binary
    const paths = CODE_FILE.test(file) ? CODE_PATH : file.endsWith('.md') ? MARKDOWN_LINK : undefined;
    return text.split('\n').flatMap((line, index) => {
      const where = `${file}:${index + 1}`;
      const found = SIBLING_FOLDER.test(line) ? [`${where}: names the sibling shared/ folder: ${line.trim()}`] : [];
      for (const match of paths ? line.matchAll(paths) : []) {
        const target = (match[1] ?? match[2])!;
        if (escapesRoot(root, file, target)) found.push(`${where}: reaches outside the repository: ${target}`);
      }
      return found;
    });
  });
}
