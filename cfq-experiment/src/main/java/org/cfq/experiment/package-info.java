/**
 * The cfq pipeline as a library: what the command line, a service, a notebook or a test runs
 * without picocli. {@link org.cfq.experiment.DatasetSource} resolves a built-in dataset or a
 * CSV file with its schema and actionability; {@link org.cfq.experiment.RecourseMethods} and
 * {@link org.cfq.experiment.StudentMethods} are the registries of recourse generators and
 * quantization methods by name (open: register your own); {@link org.cfq.experiment.Teachers}
 * trains or loads the float teachers; {@link org.cfq.experiment.ExperimentRunner} runs an
 * {@link org.cfq.experiment.ExperimentPlan} (the grid of "When Bits Break Recourse", Yahyati et
 * al., 2026: dataset x method x bit budget x seed x recourse margin), resumably, reporting typed
 * {@link org.cfq.experiment.CellResult}s to an {@link org.cfq.experiment.ExperimentListener};
 * {@link org.cfq.experiment.ExperimentSummary} computes the paper's summary statistics (means and
 * sample deviations over seeds, the accuracy-matched comparison) for cfq-report to render.
 */
package org.cfq.experiment;
