/** Whether this runtime has the Web `CompressionStream` (Node >= 18, workerd, browsers). */
export const canGzip: boolean = typeof CompressionStream === 'function';

const encoder = new TextEncoder();

/** The one function of `node:zlib` used here. */
interface NodeZlib {
  gzip(
    input: string | Uint8Array,
    options: { level: number },
    callback: (error: Error | null, result: Uint8Array<ArrayBuffer>) => void,
  ): void;
}

/**
 * Node's zlib when the runtime hands it over without an import (`process.getBuiltinModule`, Node
 * >= 20.16): no `node:*` import here, so workerd and browsers load this file unchanged and use
 * `CompressionStream`.
 */
const nodeZlib = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:zlib') as NodeZlib | undefined;

/**
 * Level 1 where the level can be chosen (Node's zlib): a 1,000-event batch (JSON with the same
 * keys and user agents over and over) shrinks 92%, against 94% at the default level 6, for 40% of
 * the CPU of `CompressionStream` (bench/gzip.bench.ts).
 */
const NODE_LEVEL = 1;

/**
 * Gzips a string or UTF-8 bytes. On Node, with `node:zlib` at level 1 (compressed on libuv's thread pool, off
 * the event loop); elsewhere with the Web-standard `CompressionStream`, whose level is fixed.
 * The stream is read directly rather than through `new Response(stream)`: servers such as
 * @hono/node-server replace the global `Response`, and the detour cost far more than the gzip.
 *
 * @example
 * const body = await gzip(JSON.stringify(batch)); // Uint8Array, send with content-encoding: gzip
 */
export function gzip(text: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (nodeZlib !== undefined) {
    const zlib = nodeZlib;
    return new Promise((resolve, reject) =>
      zlib.gzip(text, { level: NODE_LEVEL }, (error, result) => (error ? reject(error) : resolve(result))),
    );
  }
  return gzipWithStream(text);
}

async function gzipWithStream(text: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const compressor = new CompressionStream('gzip');
  const writer = compressor.writable.getWriter();
  // Not awaited: the readable side must be drained concurrently or a large body would stall.
  const written = writer.write(typeof text === 'string' ? encoder.encode(text) : text).then(() => writer.close());
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
