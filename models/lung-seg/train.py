#!/usr/bin/env python3
"""Trains the Qiview lung segmentation U-Net (2D, axial, 128 x 128) on CPU and exports it to ONNX (opset 17).

Data: the phantom slices written by export-phantoms.ts (images.f32 normalised to [-1, 1], labels.u8 with
0 background / 1 right lung / 2 left lung, 128 x 128 each). Run with Debian's python3-torch:

    npx tsx models/lung-seg/export-phantoms.ts /tmp/lung-seg-data
    /usr/bin/python3 models/lung-seg/train.py --data /tmp/lung-seg-data \
        --out plugins/lung-fibrosis/models/lung-seg.onnx --minutes 8

The run is deterministic for a given seed and thread count (torch.manual_seed), stops after --minutes of training,
and prints one JSON line with the epochs done, final loss, held-out phantom-slice Dice and the sha256 of the ONNX file.
"""
import argparse
import hashlib
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """4-level U-Net, 8-16-32-64 channels (about 120 k parameters), run at half resolution (64 x 64): the input is
    average-pooled 2x and the logits are upsampled bilinearly back to 128 x 128 (4x cheaper to train on 2 shared CPU
    cores)."""

    def __init__(self, ch=(8, 16, 32, 64), classes=3):
        super().__init__()
        self.down = nn.ModuleList()
        cin = 1
        for c in ch:
            self.down.append(block(cin, c))
            cin = c
        self.up = nn.ModuleList()
        self.upconv = nn.ModuleList()
        for c in reversed(ch[:-1]):
            self.upconv.append(nn.ConvTranspose2d(cin, c, 2, stride=2))
            self.up.append(block(2 * c, c))
            cin = c
        self.head = nn.Conv2d(cin, classes, 1)

    def forward(self, x):
        x = F.avg_pool2d(x, 2)
        skips = []
        for i, d in enumerate(self.down):
            x = d(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        for uc, u in zip(self.upconv, self.up):
            x = uc(x)
            x = u(torch.cat([x, skips.pop()], 1))
        return F.interpolate(self.head(x), scale_factor=2, mode='bilinear', align_corners=False)


def dice_per_class(pred, lab, classes=(1, 2)):
    out = []
    for c in classes:
        a = pred == c
        b = lab == c
        s = a.sum() + b.sum()
        out.append(float(2 * (a & b).sum() / s) if s else 1.0)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default='/tmp/lung-seg-data')
    ap.add_argument('--out', default='plugins/lung-fibrosis/models/lung-seg.onnx')
    ap.add_argument('--minutes', type=float, default=8.0)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)

    meta = json.load(open(os.path.join(args.data, 'meta.json')))
    S = meta['size']
    x = np.fromfile(os.path.join(args.data, 'images.f32'), dtype=np.float32).reshape(-1, 1, S, S)
    y = np.fromfile(os.path.join(args.data, 'labels.u8'), dtype=np.uint8).reshape(-1, S, S).astype(np.int64)
    n = x.shape[0]
    # hold out the last phantom (its slices) for a sanity Dice; the reported references are measured in TypeScript
    per = n // len(meta['configs'])
    xt, yt = torch.from_numpy(x[:-per]), torch.from_numpy(y[:-per])
    xv, yv = torch.from_numpy(x[-per:]), torch.from_numpy(y[-per:])

    model = UNet()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    weights = torch.tensor([0.5, 1.0, 1.0])
    t0 = time.time()
    epoch = 0
    steps = 0
    loss_v = float('nan')
    while time.time() - t0 < args.minutes * 60:
        model.train()
        perm = torch.randperm(xt.shape[0])
        for b in range(0, len(perm), 8):
            idx = perm[b:b + 8]
            xb, yb = xt[idx].clone(), yt[idx].clone()
            # augmentation: intensity scale/shift, noise, left-right mirror with label swap
            xb = xb * (1 + 0.1 * torch.randn(len(idx), 1, 1, 1)) + 0.05 * torch.randn(len(idx), 1, 1, 1)
            xb = xb + 0.03 * torch.randn_like(xb)
            if torch.rand(1).item() < 0.5:
                xb = torch.flip(xb, [3])
                yb = torch.flip(yb, [2])
                yb = torch.where(yb == 1, 2, torch.where(yb == 2, 1, yb))
            logits = model(xb)
            prob = logits.softmax(1)
            onehot = F.one_hot(yb, 3).permute(0, 3, 1, 2).float()
            inter = (prob * onehot).sum((0, 2, 3))
            dice = (2 * inter + 1) / (prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + 1)
            loss = F.cross_entropy(logits, yb, weight=weights) + (1 - dice[1:].mean())
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_v = float(loss)
            steps += 1
            if time.time() - t0 > args.minutes * 60:
                break
        epoch += 1
        print(json.dumps({'epoch': epoch, 'steps': steps, 'loss': round(loss_v, 4), 'elapsed_s': round(time.time() - t0)}), flush=True)

    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xv[i:i + 32]).argmax(1) for i in range(0, xv.shape[0], 32)])
    d = dice_per_class(pred.numpy(), yv.numpy())
    os.makedirs(os.path.dirname(args.out) or '.', exist_ok=True)
    dummy = torch.zeros(1, 1, S, S)
    torch.onnx.export(model, dummy, args.out, opset_version=17, input_names=['image'], output_names=['logits'],
                      dynamic_axes={'image': {0: 'n'}, 'logits': {0: 'n'}})
    sha = hashlib.sha256(open(args.out, 'rb').read()).hexdigest()
    print(json.dumps({'done': True, 'epochs': epoch, 'steps': steps, 'loss': loss_v, 'train_minutes': round((time.time() - t0) / 60, 2),
                      'heldout_phantom_dice_right_left': d, 'params': sum(p.numel() for p in model.parameters()),
                      'onnx': args.out, 'sha256': sha}))


if __name__ == '__main__':
    main()
