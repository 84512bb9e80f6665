// A pull cursor is opaque to the puller. Inside: a format tag, the branch log position read up to,
// and the configuration version the puller was last sent.
import { ServerError } from '../server-error';

export interface CursorState {
  pos: number;
  configVersion: number;
}

const FORMAT = /^c1\.(\d{1,15})\.(\d{1,9})$/;

export function encodeCursor(state: CursorState): string {
  return `c1.${state.pos}.${state.configVersion}`;
}

/** An absent or empty cursor starts from the beginning; anything unreadable is a 400. */
export function decodeCursor(cursor: string | undefined): CursorState {
  if (cursor === undefined || cursor === '') return { pos: 0, configVersion: 0 };
  const match = FORMAT.exec(cursor);
  if (!match)
    throw new ServerError(400, 'invalid_cursor', 'The cursor was not issued by this server.');
  return { pos: Number(match[1]), configVersion: Number(match[2]) };
}
