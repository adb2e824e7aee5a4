// Background jobs of a running server: the daily backup (when BACKUP_DIR is set) and the daily retention
// run. Both run at start when not yet done today, then the hourly tick catches the next day. Timers are
// unref'd (they never keep the process alive) and stop() waits for a run in progress.
import type { AppContext } from '../context.js';
import { getHouse } from '../settings/repository.js';
import { todayIn } from '../time/index.js';
import { dailyBackup } from './backup.js';
import { runRetention } from './retention.js';
import { pruneLimits } from '../web/limits.js';
import { runReminders } from '../reminders/service.js';
import { sendAttendanceMails } from '../attendance/service.js';

export interface Jobs {
  /** One tick: the jobs not yet done today (tests call it directly). */
  runDue(): Promise<void>;
  stop(): Promise<void>;
}

export interface JobsOptions {
  /** How often to look whether a day's jobs are due; default one hour. */
  tickMs?: number;
  /** Tick in the background (default); tests turn it off and call runDue. */
  background?: boolean;
}

export function startJobs(ctx: AppContext, opts: JobsOptions = {}): Jobs {
  let lastRetention: string | undefined;
  let lastBackup: string | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function tick(): Promise<void> {
    const house = await getHouse(ctx.db);
    const today = todayIn(ctx.clock, house.zone);
    if (ctx.config.backupDir && lastBackup !== today) {
      try {
        const file = await dailyBackup(ctx.store, ctx.config.backupDir, today, ctx.config.backupKeep);
        lastBackup = today;
        if (file) ctx.logger.info({ file }, 'backup: daily backup written');
      } catch (e) {
        ctx.logger.error({ error: (e as Error).message }, 'backup: daily backup failed');
      }
    }
    if (lastRetention !== today) {
      try {
        const result = await runRetention(ctx.db, ctx.clock);
        lastRetention = today;
        ctx.logger.info({ anonymized: result.anonymized }, 'retention: run finished');
      } catch (e) {
        ctx.logger.error({ error: (e as Error).message }, 'retention: run failed');
      }
    }
    // Every tick: the group reminders due now and the staff's daily summaries (each recorded once, so a second
    // process or a restart sends nothing twice; a date that has begun gets no late reminder).
    try {
      const sent = await runReminders(ctx.db, { baseUrl: ctx.config.baseUrl, clock: ctx.clock, mailKey: ctx.mailKey });
      if (sent.reminders || sent.summaries) ctx.logger.info(sent, 'reminders: mails queued');
    } catch (e) {
      ctx.logger.error({ error: (e as Error).message }, 'reminders: run failed');
    }
    // Every tick: the attendance mails of the dates that have just ended (each recorded once per date, so a second
    // process or a restart sends nothing twice; only dates that ended in the last two days).
    try {
      const asked = await sendAttendanceMails(ctx.db, { baseUrl: ctx.config.baseUrl, clock: ctx.clock, mailKey: ctx.mailKey });
      if (asked) ctx.logger.info({ attendanceMails: asked }, 'attendance: mails queued');
    } catch (e) {
      ctx.logger.error({ error: (e as Error).message }, 'attendance: run failed');
    }
    // Every tick (hourly): counted client addresses of the limits are kept no longer than their windows.
    try {
      await pruneLimits(ctx.db, ctx.clock().getTime());
    } catch (e) {
      ctx.logger.error({ error: (e as Error).message }, 'limits: pruning failed');
    }
  }

  function runDue(): Promise<void> {
    if (stopped) return Promise.resolve();
    // One run at a time: a tick while the previous one still runs waits for it instead.
    running ??= tick().finally(() => (running = undefined));
    return running;
  }

  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  if (opts.background !== false) {
    first = setTimeout(() => void runDue(), 0);
    first.unref();
    timer = setInterval(() => void runDue(), opts.tickMs ?? 3600_000);
    timer.unref();
  }

  return {
    runDue,
    async stop() {
      stopped = true;
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
