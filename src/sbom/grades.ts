/** SBOM quality grades, best first (A is best); what earns each is the scoring policy's (score.ts). */
export const GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Grade = (typeof GRADES)[number];

/** True when `grade` is `minimum` or better (A is best). */
export function meetsGrade(grade: Grade, minimum: Grade): boolean {
  return GRADES.indexOf(grade) <= GRADES.indexOf(minimum);
}
