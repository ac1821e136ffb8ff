#!/usr/bin/env node
/**
 * Writes models/test-identity/identity.onnx: a one-node ONNX graph `y = Identity(x)`, x/y float32 of shape
 * [1, "n"] (dynamic length), opset 17, IR version 8. Hand-encoded protobuf (field numbers from onnx/onnx.proto3),
 * so it needs neither python nor the onnx package. Deterministic: the same bytes (and sha256) on every run.
 *
 * Usage: node models/test-identity/make-model.mjs [out.onnx]
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const varint = (n) => {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
const key = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...key(field, 0), ...varint(n)];
const bytes = (field, payload) => [...key(field, 2), ...varint(payload.length), ...payload];
const str = (field, s) => bytes(field, [...Buffer.from(s, 'utf8')]);
const msg = (field, parts) => bytes(field, parts.flat());

const FLOAT = 1; // TensorProto.DataType.FLOAT
const shape = [msg(1, [int(1, 1)]), msg(1, [str(2, 'n')])]; // dims: 1, "n"
const valueInfo = (field, name) =>
  msg(field, [str(1, name), msg(2, [msg(1, [int(1, FLOAT), msg(2, shape)])])]);
const graph = msg(7, [
  msg(1, [str(1, 'x'), str(2, 'y'), str(3, 'identity'), str(4, 'Identity')]),
  str(2, 'test-identity'),
  valueInfo(11, 'x'),
  valueInfo(12, 'y'),
]);
const model = Uint8Array.from([
  ...int(1, 8), // ir_version
  ...str(2, 'qiview-make-model'), // producer_name
  ...str(3, '1.0'), // producer_version
  ...graph,
  ...msg(8, [str(1, ''), int(2, 17)]), // opset_import: default domain, 17
]);
const out = process.argv[2] ?? fileURLToPath(new URL('./identity.onnx', import.meta.url));
writeFileSync(out, model);
console.log(`${out}: ${model.length} bytes, sha256 ${createHash('sha256').update(model).digest('hex')}`);
