package dev.hadiag.app.agent;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/** Quartz's job for one check: never two runs of it at once (the annotation), and never an exception out of it. */
@DisallowConcurrentExecution
public final class CheckJob implements Job {

    static final String AGENT = "agent";
    static final String CHECK = "check";

    @Override
    public void execute(JobExecutionContext context) {
        try {
            Agent agent = (Agent) context.getScheduler().getContext().get(AGENT);
            agent.runCheck(context.getMergedJobDataMap().getString(CHECK));
        } catch (SchedulerException e) {
            org.slf4j.LoggerFactory.getLogger(CheckJob.class).error("scheduler context unavailable", e);
        }
    }
}
