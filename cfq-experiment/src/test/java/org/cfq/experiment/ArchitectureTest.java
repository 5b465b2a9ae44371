package org.cfq.experiment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The library is usable without the command line: it never reaches up to picocli, the CLI or the renderers. */
class ArchitectureTest {
    private static JavaClasses experiment;

    @BeforeAll
    static void importExperiment() {
        experiment = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cfq.experiment");
    }

    @Test
    void experiment_neverDependsOnPicocliOrTheCli() {
        noClasses().that().resideInAPackage("org.cfq.experiment..").should().dependOnClassesThat()
                .resideInAnyPackage("picocli..", "org.cfq.cli..", "me.tongfei..").check(experiment);
    }

    @Test
    void experiment_neverDependsOnTheRenderers() {
        noClasses().that().resideInAPackage("org.cfq.experiment..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.report..", "org.cfq.onnx..").check(experiment);
    }
}
