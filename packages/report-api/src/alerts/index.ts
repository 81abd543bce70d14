export { createAlertService, type AlertService, type AlertServiceOptions } from './service.js';
export { createAlertMonitor, type AlertMonitor, type AlertMonitorOptions, type MonitorStore } from './detect.js';
export { createReportScheduler, type ReportScheduler, type ReportSchedulerOptions, type Timers } from './scheduler.js';
export {
  createDeliveryQueue,
  type DeliveryJob,
  type DeliveryQueue,
  type DeliveryQueueOptions,
  type DeliveryStats,
} from './deliver.js';
export {
  createIncidentTracker,
  DEFAULT_COOL_DOWN_MS,
  type AlertKind,
  type AlertNotice,
  type IncidentKind,
  type IncidentTracker,
} from './incident.js';
export { baselineTest, type BaselineOptions, type BaselineResult, type HourSample } from './baseline.js';
export { localHourStart, sameHourHistory } from './hourly.js';
export {
  isValidTimeZone,
  localDate,
  localTimeToEpoch,
  nextReportTime,
  parseReportTime,
  zonedParts,
  type ReportSchedule,
} from './schedule.js';
export {
  escapeSlack,
  markdownToSlack,
  noticePayload,
  reportPayload,
  testPayload,
  type SlackBlock,
  type SlackPayload,
} from './payload.js';
export { alertRoutes, alertSettingsSchema, newWebhookSchema, type AlertRoutesOptions } from './routes.js';
export { sendTestMessage } from './send-test.js';
export { alertStoreOn } from '../db/alert-store.js';
export type * from '../db/alerts.js';
export { AUTO_BAN_RULES, DEFAULT_ALERT_SETTINGS } from '../db/alerts.js';
export { redactUrl, webhookUrlProblem } from './webhook-url.js';
