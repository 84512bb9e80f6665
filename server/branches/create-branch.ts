// Creating a branch: shared by the admin API and `guichet server branch add`.
import { v7 as uuidv7 } from 'uuid';
import { ServerError } from '../server-error';
import type { BranchRecord, ServerStore } from '../store/ports';
import { hashToken, newBranchToken } from '../store/tokens';

export interface CreatedBranch {
  branch: BranchRecord;
  /** The hub's token for this branch: shown once, only its hash is kept. */
  token: string;
}

export async function createBranch(
  store: ServerStore,
  input: { name: string; id?: string | undefined },
  now = Date.now(),
): Promise<CreatedBranch> {
  const id = input.id ?? `br-${uuidv7()}`;
  if (await store.branch(id))
    throw new ServerError(409, 'branch_exists', `A branch with id "${id}" already exists.`);
  const token = newBranchToken();
  const branch = await store.createBranch({
    id,
    name: input.name,
    tokenHash: hashToken(token),
    now,
  });
  return { branch, token };
}
