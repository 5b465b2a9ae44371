package org.cfq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Enforces the package arrows of DESIGN.md inside cfq-core. */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cfq");
    }

    private static void check(ArchRule rule) {
        rule.allowEmptyShould(true).check(core);
    }

    @Test
    void core_usesNoFrameworks() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "com.fasterxml..", "org.apache..", "picocli..", "com.google..", "me.tongfei.."));
    }

    @Test
    void math_dependsOnNothingElseInCfq() {
        check(noClasses().that().resideInAPackage("org.cfq.math..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.data..", "org.cfq.model..", "org.cfq.train..", "org.cfq.quant..",
                        "org.cfq.recourse..", "org.cfq.audit..", "org.cfq.faithful.."));
    }

    @Test
    void data_dependsOnlyOnMath() {
        check(noClasses().that().resideInAPackage("org.cfq.data..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.model..", "org.cfq.train..", "org.cfq.quant..",
                        "org.cfq.recourse..", "org.cfq.audit..", "org.cfq.faithful.."));
    }

    @Test
    void model_doesNotDependOnLaterLayers() {
        check(noClasses().that().resideInAPackage("org.cfq.model..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.train..", "org.cfq.quant..", "org.cfq.recourse..",
                        "org.cfq.audit..", "org.cfq.faithful.."));
    }

    @Test
    void train_doesNotDependOnQuantRecourseOrAudit() {
        check(noClasses().that().resideInAPackage("org.cfq.train..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.quant..", "org.cfq.recourse..", "org.cfq.audit..",
                        "org.cfq.faithful.."));
    }

    @Test
    void quant_neverImportsRecourse() {
        check(noClasses().that().resideInAPackage("org.cfq.quant..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.recourse..", "org.cfq.audit..", "org.cfq.faithful.."));
    }

    @Test
    void recourse_neverImportsQuant() {
        check(noClasses().that().resideInAPackage("org.cfq.recourse..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.quant..", "org.cfq.audit..", "org.cfq.faithful..", "org.cfq.train.."));
    }

    @Test
    void bounds_dependsOnlyOnMathDataAndModel() {
        check(noClasses().that().resideInAPackage("org.cfq.bounds..").should().dependOnClassesThat()
                .resideInAnyPackage("org.cfq.train..", "org.cfq.quant..", "org.cfq.recourse..", "org.cfq.audit..",
                        "org.cfq.faithful.."));
    }

    @Test
    void audit_doesNotDependOnFaithful() {
        check(noClasses().that().resideInAPackage("org.cfq.audit..").should().dependOnClassesThat()
                .resideInAPackage("org.cfq.faithful.."));
    }
}
