#!/usr/bin/env node
// The demonstration remediation of Warden's embedded defaults (the action "demo-isolate-host"):
// prints what an isolation of the incident's hosts would do, and changes nothing.
const [incident = '(no incident)'] = process.argv.slice(2);
process.stdout.write(`demo: the hosts of incident ${incident} would now be cut off from the network; nothing was changed\n`);
