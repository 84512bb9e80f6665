// Answers the screens parse that core/api/schemas.ts names differently or not at all.
import { IssuedTicketDto } from '../../core/api/schemas';

/** POST /api/v1/appointments/check-in answers like a kiosk tap: the ticket and its printing. */
export const CheckInResponse = IssuedTicketDto;
