/** Reading a request body with a size limit that holds before and while reading, not after. */

/**
 * The body as UTF-8 text, or `undefined` as soon as it is known to exceed `limit` bytes: from the
 * declared Content-Length before reading anything, else while streaming (the rest is not read).
 * Reading first and measuring after would let any anonymous client make the server buffer, or
 * wait for, a body of any size.
 *
 * @example
 * const text = await readBoundedText(c.req.raw, 64 * 1024);
 * if (text === undefined) return tooLarge();
 */
export async function readBoundedText(request: Request, limit: number): Promise<string | undefined> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return undefined;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
