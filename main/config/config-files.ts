// Reading and writing the shell's files in the app's data folder. Writes go to a temporary file
// that is then renamed over the old one, so a power cut leaves either the old or the new file,
// never half of one. Owner-only permissions: the secrets file must not be readable by others.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TextFiles {
  read(file: string): string | null;
  write(file: string, content: string): void;
}

export const nodeTextFiles: TextFiles = {
  read(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  write(file, content) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, content, { mode: 0o600 });
    renameSync(temporary, file);
  },
};

export const SETUP_FILE = 'guichet-setup.json';
export const SECRETS_FILE = 'guichet-secrets.json';
