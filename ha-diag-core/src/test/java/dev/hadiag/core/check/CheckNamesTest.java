package dev.hadiag.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckNamesTest {

    @Test
    void every_name_constant_is_a_built_in_check_in_report_order() {
        assertThat(List.of(CheckNames.HEARTBEAT, CheckNames.UNAVAILABLE_ENTITIES, CheckNames.SYSTEM_HEALTH,
                CheckNames.AUTOMATION_FAILURES, CheckNames.UPDATES_AVAILABLE, CheckNames.RECORDER, CheckNames.REPAIRS, CheckNames.STALE_ENTITIES,
                CheckNames.FLAPPING, CheckNames.LOW_BATTERIES, CheckNames.BACKUPS, CheckNames.HA_LOG_ERRORS))
                .isEqualTo(CheckNames.ALL);
        assertThat(BuiltInCheck.named("system_health")).contains(BuiltInCheck.SYSTEM_HEALTH);
        assertThat(BuiltInCheck.named("my_own_check")).isEmpty();
    }
}
