/**
 * Why a calendar of the trainer's could not be read, as the sync job stores it
 * (English; the settings page words each in the viewer's language by this text).
 */
export const NOT_ICALENDAR =
  "This address does not give an iCalendar file. Copy the secret address in iCal format.";
export const TOO_MANY_EVENTS =
  "The calendar has too many events to read: more than 50,000 in the coming year, or rules that repeat hundreds of thousands of times.";
