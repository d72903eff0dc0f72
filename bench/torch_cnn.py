"""PyTorch (CPU) side of bench/cnn.mjs: the same LeNet-style CNN, batch 64, Adam(1e-3), trained on a
pool of 8 random batches per epoch, timed the same way (one warm-up epoch, then reps of `epochs`).
Written as a PyTorch user writes it: logits out, softmax folded into nn.CrossEntropyLoss.
Prints one JSON line: {"engine", "median", "rates", "threads", "version"}.

    python3 bench/torch_cnn.py --threads 1 --epochs 4 --reps 5
"""
import argparse, json, time
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument('--threads', type=int, default=1)
p.add_argument('--epochs', type=int, default=4)
p.add_argument('--reps', type=int, default=5)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
BATCH, POOL = 64, 8
model = nn.Sequential(
    nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 4 * 4, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(POOL * BATCH, 1, 28, 28)
y = torch.randint(0, 10, (POOL * BATCH,))

def epoch():
    perm = torch.randperm(POOL * BATCH)
    for i in range(POOL):
        idx = perm[i * BATCH:(i + 1) * BATCH]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()

epoch()
rates = []
for _ in range(a.reps):
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        epoch()
    rates.append(a.epochs * POOL * BATCH / (time.perf_counter() - t0))
rates.sort()
print(json.dumps({'engine': f'torch-{a.threads}', 'median': rates[len(rates) // 2], 'rates': rates, 'threads': a.threads, 'version': torch.__version__}))
