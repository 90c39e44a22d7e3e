package dev.hadiag.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlertTypeTest {

    @Test
    void every_alert_is_resolved_by_the_type_the_spec_pairs_it_with() {
        assertThat(AlertType.fromType("ha_websocket_dead")).contains(AlertType.WEBSOCKET_DEAD);
        assertThat(AlertType.WEBSOCKET_DEAD.resolutionType()).isEqualTo("ha_websocket_recovered");
        assertThat(AlertType.ENTITY_UNAVAILABLE_LONG.resolutionType()).isEqualTo("ha_entity_recovered");
        assertThat(AlertType.UPDATE_AVAILABLE.resolutionType()).isEqualTo("ha_update_installed");
        assertThat(AlertType.REPAIR_ISSUE.resolutionType()).isEqualTo("ha_repair_resolved");
        assertThat(AlertType.fromResolutionType("ha_auth_recovered")).contains(AlertType.AUTH_FAILED);
        assertThat(AlertType.fromType("deployment_started")).isEmpty();
    }

    @Test
    void alert_and_resolution_types_are_all_distinct_valid_event_types() {
        var names = Arrays.stream(AlertType.values()).flatMap(a -> java.util.stream.Stream.of(a.type(), a.resolutionType())).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> Event.SAFE_NAME.matcher(n).matches());
    }

    @Test
    void severities_follow_the_spec_table() {
        assertThat(AlertType.WEBSOCKET_DEAD.defaultSeverity()).isEqualTo(Severity.ERROR);
        assertThat(AlertType.INTEGRATION_FAILED.defaultSeverity()).isEqualTo(Severity.ERROR);
        assertThat(AlertType.RECORDER_LAG.defaultSeverity()).isEqualTo(Severity.WARNING);
        assertThat(AlertType.UPDATE_AVAILABLE.defaultSeverity()).isEqualTo(Severity.INFO);
    }
}
