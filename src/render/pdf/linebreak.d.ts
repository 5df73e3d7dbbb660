/** Types of `linebreak` (UAX #14 break opportunities; pdfkit's own line breaker), which ships none. */
declare module 'linebreak' {
  interface Break {
    /** Index in the string where a line may start. */
    position: number;
    /** A mandatory break (a line or paragraph separator). */
    required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    /** The next break opportunity, or null at the end of the string. */
    nextBreak(): Break | null;
  }
}
