import type { ApprovalView } from '../../cards/build-approval-blocks.js';
import { describeActionPreview } from '../actions/describe-action-preview.js';
import { renderActionRun } from '../actions/render-action-run.js';
import type { Config } from '../config/config-schema.js';
import type { IncidentView } from '../incidents/create-incident-store.js';
import type { ApprovalRequest } from '../model/approval-request.js';

/**
 * The card's view of pending approval requests: each with the run rendered at request time (what
 * approving runs) and, when rendering it from the incident as it is now would give something else
 * (new or resolved alerts, changed configuration), that rendering too, or why none could run.
 */
export function buildApprovalViews(requests: readonly ApprovalRequest[], view: IncidentView, actions: Config['actions'], secrets: readonly string[]): ApprovalView[] {
  return requests.map((request) => {
    const shown: ApprovalView = { id: request.id, title: request.title, ...(request.titleRef === undefined ? {} : { titleRef: request.titleRef }), requestedBy: request.requestedBy, expiresAt: request.expiresAt };
    const { silence } = request;
    if (silence !== undefined) return { ...shown, runs: silence.preview, ...(silence.previewRefs === undefined ? {} : { runRefs: silence.previewRefs }) };
    const { rendering } = request;
    if (rendering === undefined) return shown;
    shown.runs = describeActionPreview(rendering.preview);
    shown.inputs = Object.entries(rendering.inputs)
      .filter(([name]) => name !== 'incident.key')
      .map(([name, value]) => `${name} = ${value}`);
    const action = actions[request.actionId];
    if (action === undefined) {
      shown.renderedNow = [`nothing: the action "${request.actionId}" is no longer configured`];
      return shown;
    }
    const now = renderActionRun(action, view.incident, view.alerts, secrets);
    if ('refusal' in now) shown.renderedNow = [now.refusal];
    else if (JSON.stringify(now.rendering) !== JSON.stringify(rendering)) shown.renderedNow = describeActionPreview(now.rendering.preview);
    return shown;
  });
}
