// HMAC-SHA256 (RFC 2104) as two one-shot hashes, for the code printed on every ticket.
//
// node:crypto's createHmac makes a native object per call, and V8 keeps a weak handle for each
// such object that the next young-generation collection must process: one per issued ticket, and
// each of the hub's collections took 1.0 ms instead of 0.6 (docs/benchmarks.md, "Tenth run").
// crypto.hash makes none. hmac-sha256.test.ts holds this to createHmac on random keys and messages.
import { hash } from 'node:crypto';

/** SHA-256's block size in bytes: keys are padded (or first hashed) to it. */
const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;
const INNER_PAD = 0x36;
const OUTER_PAD = 0x5c;

export function hmacSha256(key: Uint8Array, message: string): Buffer {
  const block = key.length > BLOCK_BYTES ? hash('sha256', key, 'buffer') : key;
  const inner = Buffer.alloc(BLOCK_BYTES + Buffer.byteLength(message, 'utf8'));
  const outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const byte = block[i] ?? 0;
    inner[i] = byte ^ INNER_PAD;
    outer[i] = byte ^ OUTER_PAD;
  }
  inner.write(message, BLOCK_BYTES, 'utf8');
  hash('sha256', inner, 'buffer').copy(outer, BLOCK_BYTES);
  return hash('sha256', outer, 'buffer');
}
