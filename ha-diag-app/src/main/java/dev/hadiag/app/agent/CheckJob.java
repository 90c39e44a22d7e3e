package dev.hadiag.app.agent;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's job for one check: never two runs of it at once (the annotation), and no exception out of it. The
 * core turns HA's and the store's faults into a skipped or failed report; anything else (a bug) is logged here
 * with the check's name, and the check runs again at its next time.
 */
@DisallowConcurrentExecution
final class CheckJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(CheckJob.class);

    private final String check;
    private final AgentStatus status;

    CheckJob(String check, AgentStatus status) {
        this.check = check;
        this.status = status;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            status.run(check);
        } catch (RuntimeException e) {
            LOG.error("check {} failed unexpectedly; it runs again at its next time", check, e);
        }
    }

    /** Builds each job with what it runs: the job's name is the check's. */
    static JobFactory factory(AgentStatus status) {
        return (TriggerFiredBundle bundle, Scheduler scheduler) -> new CheckJob(bundle.getJobDetail().getKey().getName(), status);
    }
}
