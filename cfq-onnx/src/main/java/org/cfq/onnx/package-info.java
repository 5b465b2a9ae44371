/**
 * ONNX export of float teachers (Gemm / Relu) and quantized models in QDQ form, checked in
 * ONNX Runtime by the tests. The protobuf messages are the {@code onnx.proto} classes that
 * Tribuo ships ({@code ai.onnx.proto.OnnxMl}); this module is the only one that sees them.
 *
 * <p>Reference: ONNX operator specifications, opsets 13 and 21 (QuantizeLinear,
 * DequantizeLinear, Gemm, Relu, Mul, Clip), https://onnx.ai/onnx/operators/.
 */
package org.cfq.onnx;
