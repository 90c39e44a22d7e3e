package dev.hadiag.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The module rules of docs/architecture.md, checked on the one classpath that sees every module. Every
 * rule keeps ArchUnit's default of failing when it matches no class, so a renamed package breaks the
 * build instead of silently passing.
 */
@AnalyzeClasses(packages = "dev.hadiag", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {

    private static final String CORE = "dev.hadiag.core..";
    private static final String HA_CLIENT = "dev.hadiag.ha.client..";
    private static final String EVENTS_FS = "dev.hadiag.events.fs..";
    private static final String STORE_SQLITE = "dev.hadiag.store.sqlite..";
    private static final String HTTP = "dev.hadiag.http..";
    private static final String APP = "dev.hadiag.app..";
    private static final String CLI = "dev.hadiag.app.cli..";

    @ArchTest
    static final ArchRule core_depends_only_on_the_jdk = classes()
            .that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE);

    @ArchTest
    static final ArchRule adapters_are_used_only_by_the_app_and_never_by_each_other = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("core").definedBy(CORE)
            .layer("ha-client").definedBy(HA_CLIENT)
            .layer("events-fs").definedBy(EVENTS_FS)
            .layer("store-sqlite").definedBy(STORE_SQLITE)
            .layer("http").definedBy(HTTP)
            .layer("app").definedBy(APP)
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("ha-client").mayOnlyBeAccessedByLayers("app")
            .whereLayer("events-fs").mayOnlyBeAccessedByLayers("app")
            .whereLayer("store-sqlite").mayOnlyBeAccessedByLayers("app")
            .whereLayer("http").mayOnlyBeAccessedByLayers("app")
            .whereLayer("core").mayOnlyBeAccessedByLayers("ha-client", "events-fs", "store-sqlite", "http", "app");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("dev.hadiag.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule only_the_cli_writes_to_standard_streams = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS);

    @ArchTest
    static final ArchRule no_code_throws_generic_exceptions = GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

    @ArchTest
    static final ArchRule logging_goes_through_system_logger_or_slf4j = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    /** The core's and the HA adapter's test-jars (fakes, fixtures) are on this classpath too; they are not product code. */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }
}
