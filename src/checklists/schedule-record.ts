/** Where a checklist's schedule is kept since when (`keys.checklistSchedules`): missed slots are only counted from then. */
export interface ScheduleRecord {
  cron: string;
  timezone: string;
  since: number;
}
