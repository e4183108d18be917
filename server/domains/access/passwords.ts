import { hash, verify } from '@node-rs/argon2';

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which this project's module settings cannot import). */
const argon2id = 2;

/**
 * Argon2id through @node-rs/argon2 (Rust, prebuilt per platform, no install script), with
 * OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane.
 */
const options = { algorithm: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const minPasswordLength = 10;

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check, so timing does not tell which emails have accounts.
    await hash(password, options);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
