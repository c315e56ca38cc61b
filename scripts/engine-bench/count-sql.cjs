/**
 * Preloaded (`node --require`) into the processes the engine benchmark starts: counts the SQL
 * statements this process sends (BEGIN and COMMIT included) and answers the count over IPC.
 * Plain CommonJS so that worker threads, which inherit the preload, can load it too.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload */
'use strict';
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  const pg = require('pg');
  let statements = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    statements++;
    return query.apply(this, args);
  };
  process.on('message', (message) => {
    if (message && message.type === 'sql?') process.send({ type: 'sql', statements });
  });
}
