/**
 * Whether a parsed JSON value nests deeper than `maxDepth` (an object or array counts one level), found without
 * recursion: the inputs this guards against are exactly the ones that would overflow the stack of a recursive walk
 * (and of JSON.stringify, GraphQL value coercion and JSON-LD expansion after it).
 */
export function nestsDeeperThan(root: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
