/** Whether this runtime has the Web `CompressionStream` (Node >= 18, workerd, browsers). */
export const canGzip: boolean = typeof CompressionStream === 'function';

const encoder = new TextEncoder();

/**
 * Gzips a string with the Web-standard `CompressionStream` (no `node:zlib`, so workerd runs it).
 * The stream is read directly rather than through `new Response(stream)`: servers such as
 * @hono/node-server replace the global `Response`, and the detour cost far more than the gzip.
 *
 * @example
 * const body = await gzip(JSON.stringify(batch)); // Uint8Array, send with content-encoding: gzip
 */
export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const compressor = new CompressionStream('gzip');
  const writer = compressor.writable.getWriter();
  // Not awaited: the readable side must be drained concurrently or a large body would stall.
  const written = writer.write(encoder.encode(text)).then(() => writer.close());
  const reader = compressor.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  await written;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
