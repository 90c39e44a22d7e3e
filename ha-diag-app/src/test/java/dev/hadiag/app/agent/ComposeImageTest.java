package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The compose file tags the image it builds with the version of the jar in it, so an upgrade keeps the previous one. */
class ComposeImageTest {

    @Test
    void the_default_image_tag_is_the_version_the_build_writes() throws Exception {
        Matcher image = Pattern.compile("(?m)^\\s*image: \\$\\{HA_DIAG_IMAGE:-ha-diag-agent:([^}]+)}\\s*$")
                .matcher(Files.readString(DeployDoc.REPO.resolve("deploy/docker-compose.yml")));
        assertThat(image.find()).as("deploy/docker-compose.yml's image line").isTrue();
        assertThat(image.group(1)).isEqualTo(BuildInfo.current().version()).isNotEqualTo("latest");
    }
}
