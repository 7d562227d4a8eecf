import { Readable } from 'node:stream';
import type { PageRequest } from './page-kit.js';

/** A page form's posted text fields (urlencoded or multipart); null when the body is not a form. */
export async function formFields(req: PageRequest['req']): Promise<URLSearchParams | null> {
  try {
    const form = await new Request('http://hub/form', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type'] ?? '') },
      body: Readable.toWeb(req) as ReadableStream,
      duplex: 'half',
    } as RequestInit).formData();
    return new URLSearchParams([...form].flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])));
  } catch {
    return null;
  }
}
