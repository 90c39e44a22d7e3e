package dev.hadiag.app.cli;

import picocli.CommandLine.Option;

/** The {@code --config} option of every command that reads the agent's configuration: one wording, one default. */
final class ConfigFileOption {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default: $HA_DIAG_CONFIG, else "
            + "/opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml if it exists)")
    String file;
}
