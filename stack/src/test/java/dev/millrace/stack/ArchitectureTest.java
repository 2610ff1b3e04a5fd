package dev.millrace.stack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between the modules, checked on the compiled classes: the rules in core know no
 * engine, nothing that runs in production knows the local stack, and no two packages need each
 * other.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        // The test-jars the modules share are tests too.
                        .withImportOption(location -> !location.contains("-tests.jar"))
                        .importPackages("dev.millrace");
    }

    @Test
    void coreKnowsNoEngine() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideInAnyPackage(Modules.CORE)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("org.apache.kafka..", "org.apache.flink..")
                        .because("every rule lives in core once, for every engine");
        rule.check(classes);
    }

    @Test
    void nothingThatRunsInProductionKnowsTheLocalStack() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideInAnyPackage(Modules.PRODUCTION)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("dev.millrace.local..", "dev.millrace.stack..")
                        .because("the production runtime carries no embedded server");
        rule.check(classes);
    }

    @Test
    void connectorsKnowOnlyCore() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideInAnyPackage("dev.millrace.connect..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                "dev.millrace.streams..",
                                "dev.millrace.services..",
                                "dev.millrace.pipeline..",
                                "dev.millrace.cli..")
                        .because("the Connect plugin archive holds the connectors and core only");
        rule.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.millrace.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The packages of each module. */
    static final class Modules {
        static final String[] CORE = {
            "dev.millrace.audit..",
            "dev.millrace.catalog..",
            "dev.millrace.config..",
            "dev.millrace.files..",
            "dev.millrace.ids..",
            "dev.millrace.json..",
            "dev.millrace.telemetry..",
            "dev.millrace.wis2.."
        };
        static final String[] PRODUCTION = {
            "dev.millrace.audit..",
            "dev.millrace.catalog..",
            "dev.millrace.config..",
            "dev.millrace.files..",
            "dev.millrace.ids..",
            "dev.millrace.json..",
            "dev.millrace.telemetry..",
            "dev.millrace.wis2..",
            "dev.millrace.schemas..",
            "dev.millrace.streams..",
            "dev.millrace.connect..",
            "dev.millrace.services..",
            "dev.millrace.pipeline..",
            "dev.millrace.cli.."
        };

        private Modules() {}
    }
}
