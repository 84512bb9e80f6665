// Shapes the screens need that core/api/schemas.ts does not export yet (see HUB-REQUESTS.md).
import { TicketWithPositionDto } from '../../core/api/schemas';

/** What the (not yet existing) check-in route is expected to answer: the issued ticket. */
export const CheckInResponse = TicketWithPositionDto;
