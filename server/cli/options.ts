// The `guichet server …` flags, checked like any other input crossing into the server.
import { z } from 'zod';

export const DataDir = z.string().min(1, '--data needs a folder');
const DatabaseUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'a postgres://… URL')
  .optional();

export const ServerFlags = z.object({
  data: DataDir,
  host: z.string().min(1).max(255).default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(4290),
  database: DatabaseUrl,
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
});
export type ServerFlags = z.infer<typeof ServerFlags>;

export const ServerInitFlags = z.object({
  data: DataDir,
  database: DatabaseUrl,
  json: z.boolean().default(false),
});
export type ServerInitFlags = z.infer<typeof ServerInitFlags>;

export const BranchAddFlags = z.object({
  data: DataDir,
  database: DatabaseUrl,
  name: z
    .string()
    .trim()
    .min(1, '--name needs a branch name')
    .max(120)
    .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  json: z.boolean().default(false),
});
export type BranchAddFlags = z.infer<typeof BranchAddFlags>;

/** A mistake on the command line: printed as one line, exit code 2. */
export class ServerCliError extends Error {
  override name = 'ServerCliError';
}

/** Parses flags or explains, in one line per problem, what to fix. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (i) => `  --${i.path.join('.') || 'options'}: ${i.message}`,
  );
  throw new ServerCliError(`Invalid options:\n${lines.join('\n')}`);
}
