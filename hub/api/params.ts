import { z } from 'zod';
import { Id } from '../../core/api/schemas';

/** `:id` in a route path, with the same rules as every id the hub makes. */
export const IdParams = z.object({ id: Id }).strict();
