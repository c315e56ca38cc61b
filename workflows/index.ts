export { caseWorkflow } from './case-workflow';
export { calendarRepublicationWorkflow } from './republication-workflow';
