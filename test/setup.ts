import { Settings } from 'luxon';

// The same luxon settings as the CLI: invalid dates throw, and no test depends
// on the machine's time zone.
Settings.throwOnInvalid = true;
Settings.defaultZone = 'utc';
