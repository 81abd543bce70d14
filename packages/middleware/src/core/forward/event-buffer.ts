const encoder = new TextEncoder();
const COMMA = 0x2c;
/** First size of a block's bytes per event it may hold; a block grows when its events are larger. */
const BYTES_PER_EVENT = 512;
/** Emptied blocks kept for reuse. */
const POOL_SIZE = 2;

/** The events of one future batch: their JSON texts back to back, each followed by a comma. */
interface Block {
  bytes: Uint8Array<ArrayBuffer>;
  /** `ends[i]`: where event i ends (after its comma). */
  ends: Uint32Array;
  /** Events before this one were dropped. */
  first: number;
  count: number;
  used: number;
}

/** What `take()` hands over: the events of one batch. */
export interface TakenEvents {
  count: number;
  /** `e1,e2,...,eN` as UTF-8 JSON; valid until the next call on the buffer. */
  json: Uint8Array<ArrayBuffer>;
}

/**
 * The forwarder's queue: events waiting to be sent, held as UTF-8 JSON bytes in a few
 * reusable blocks of `batchSize` events each (one block is one batch). Nothing of a waiting
 * event lives on the JavaScript heap: under steady traffic the garbage collector neither
 * copies nor promotes queued events (as it did when each was kept as a string), and a batch
 * body needs no join. At most `maxQueue` events wait; past it the oldest is dropped.
 *
 * @example
 * const buffer = new EventBuffer(1000, 10_000);
 * buffer.push(JSON.stringify(event));     // 0: nothing dropped
 * const { count, json } = buffer.take();  // json holds `{...},{...}` for count events
 */
export class EventBuffer {
  /** Events waiting. */
  length = 0;
  private readonly blocks: Block[] = [];
  private readonly pool: Block[] = [];
  private taken: Block | null = null;

  constructor(
    private readonly batchSize: number,
    private readonly maxQueue: number,
  ) {}

  /** Queues one event's JSON text; returns how many old events were dropped to make room (0 or 1). */
  push(json: string): number {
    let dropped = 0;
    if (this.length === this.maxQueue) {
      this.dropOldest();
      dropped = 1;
    }
    let block = this.blocks.at(-1);
    if (block === undefined || block.count === this.batchSize) this.blocks.push((block = this.newBlock()));
    // At most 3 UTF-8 bytes per UTF-16 unit, and the comma.
    const room = json.length * 3 + 1;
    if (block.bytes.length - block.used < room) grow(block, block.used + room);
    const { written } = encoder.encodeInto(json, block.bytes.subarray(block.used));
    block.used += written;
    block.bytes[block.used++] = COMMA;
    block.ends[block.count++] = block.used;
    this.length++;
    return dropped;
  }

  /** The oldest events, up to one batch, or null when none wait. Their bytes stay valid until the next call. */
  take(): TakenEvents | null {
    this.recycle();
    const block = this.blocks.shift();
    if (block === undefined) return null;
    const count = block.count - block.first;
    this.length -= count;
    this.taken = block;
    const start = block.first === 0 ? 0 : block.ends[block.first - 1]!;
    // Without the last comma.
    return { count, json: block.bytes.subarray(start, Math.max(start, block.used - 1)) };
  }

  private dropOldest(): void {
    const block = this.blocks[0]!;
    block.first++;
    this.length--;
    // The block being filled stays, even emptied: the next event goes on after the dropped ones.
    if (block.first === block.count && this.blocks.length > 1) this.release(this.blocks.shift()!);
  }

  private release(block: Block): void {
    // A block grown for unusually large events is left to the garbage collector.
    if (this.pool.length < POOL_SIZE && block.bytes.length <= this.batchSize * BYTES_PER_EVENT * 4)
      this.pool.push(block);
  }

  private newBlock(): Block {
    this.recycle();
    const block = this.pool.pop();
    if (block === undefined) {
      return {
        bytes: new Uint8Array(this.batchSize * BYTES_PER_EVENT),
        ends: new Uint32Array(this.batchSize),
        first: 0,
        count: 0,
        used: 0,
      };
    }
    block.first = block.count = block.used = 0;
    return block;
  }

  private recycle(): void {
    if (this.taken === null) return;
    this.release(this.taken);
    this.taken = null;
  }
}

function grow(block: Block, needed: number): void {
  const bytes = new Uint8Array(Math.max(needed, block.bytes.length * 2));
  bytes.set(block.bytes.subarray(0, block.used));
  block.bytes = bytes;
}
