package dev.hadiag.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertKeyTest {

    @Test
    void a_findings_key_parses_back_into_its_type_kind_and_id() {
        Finding finding = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.DEVICE, "2b32a0cf", "Kitchen plug"),
                "", List.of(), Instant.EPOCH, Map.of());
        assertThat(finding.alertKey()).isEqualTo("ha_entity_unavailable_long:device:2b32a0cf");
        assertThat(AlertKey.parse(finding.alertKey())).contains(new AlertKey(AlertType.ENTITY_UNAVAILABLE_LONG, RootCause.Kind.DEVICE, "2b32a0cf"));
        assertThat(AlertKey.of(finding.type(), finding.rootCause()).wire()).isEqualTo(finding.alertKey());
    }

    @Test
    void only_the_first_two_colons_separate_so_an_id_may_hold_more() {
        assertThat(AlertKey.parse("ha_entity_unavailable_long:hub:zigbee2mqtt:bridge/0x00"))
                .map(AlertKey::id).contains("zigbee2mqtt:bridge/0x00");
        assertThat(AlertKey.parse("ha_repair_issue:repair:")).map(AlertKey::id).contains("");
    }

    @Test
    void a_key_that_is_not_ours_does_not_parse() {
        assertThat(AlertKey.parse("k")).isEmpty();
        assertThat(AlertKey.parse("entity:sensor.a")).as("no type").isEmpty();
        assertThat(AlertKey.parse("ha_restarted:ha:homeassistant")).as("a notice, no alert").isEmpty();
        assertThat(AlertKey.parse("ha_entity_unavailable_long:planet:mars")).as("unknown kind").isEmpty();
    }
}
