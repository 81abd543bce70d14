/** Whether this runtime has the Web `CompressionStream` (Node >= 18, workerd, browsers). */
export const canGzip: boolean = typeof CompressionStream === 'function';

/**
 * Gzips a string with the Web-standard `CompressionStream` (no `node:zlib`, so workerd runs it).
 *
 * @example
 * const body = await gzip(JSON.stringify(batch)); // Uint8Array, send with content-encoding: gzip
 */
export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
