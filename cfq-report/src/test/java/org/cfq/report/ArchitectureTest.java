package org.cfq.report;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report module renders result records; it computes nothing (no training, quantizing, recourse or runs). */
class ArchitectureTest {
    private static JavaClasses report;

    @BeforeAll
    static void importReport() {
        report = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cfq.report");
    }

    @Test
    void report_neverComputes() {
        noClasses().that().resideInAPackage("org.cfq.report..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.train..", "org.cfq.faithful..", "org.cfq.math..", "picocli..")
                .check(report);
    }

    @Test
    void report_neverRunsThePipeline() {
        noClasses().that().resideInAPackage("org.cfq.report..").should().dependOnClassesThat()
                .haveSimpleNameEndingWith("Runner").orShould().dependOnClassesThat().haveSimpleNameEndingWith("Generator")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Trainer")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Quantizer")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Validator")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.cfq.audit.Audit")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.cfq.quant.method.Quantization")
                .orShould().dependOnClassesThat().haveSimpleName("Teachers")
                .orShould().dependOnClassesThat().haveSimpleName("DatasetSource").check(report);
    }
}
