"""PyTorch (CPU) side of kiln's benchmark, run by bench/run.mjs when `import torch` works.

The workload shapes, Adam settings and timing plan come in as JSON on the command line, from
bench/workloads/spec.mjs and bench/lib/measure.mjs, so this file holds no numbers of its own. It
prints one JSON object on its last line of stdout.

    python3 bench/torch_bench.py inproc   --threads 1 --config '{"train": {...}, "plan": {...}, ...}'
    python3 bench/torch_bench.py pipeline --threads 1 --config '{"pipeline": {...}, "adam": {...}}'
    python3 bench/torch_bench.py gemm     --threads 1 --config '{"shapes": [...], "plan": {...}}'

The models are written the way a PyTorch user writes them: the last Linear layer gives logits and
the softmax (or sigmoid) is folded into nn.CrossEntropyLoss (or nn.BCEWithLogitsLoss). That is the
same function and gradient as kiln's softmax layer + sparse cross-entropy, computed the fast way.
Adam's eps is set to Keras's 1e-7 (PyTorch's default is 1e-8); PyTorch adds eps after the bias
correction and Keras before it, which changes no cost.
"""
import argparse
import json
import math
import time

T_START = time.perf_counter()
import torch  # noqa: E402  (imported after the clock starts: W3 counts its import time)
from torch import nn  # noqa: E402

T_IMPORTED = time.perf_counter()


def mlp(inputs, hidden, outputs):
    layers, width = [], inputs
    for units in hidden:
        layers += [nn.Linear(width, units), nn.ReLU()]
        width = units
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


def adam(model, cfg):
    return torch.optim.Adam(model.parameters(), lr=cfg["learningRate"], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["epsilon"])


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def summarize(values):
    return {"median": median(values), "min": min(values), "max": max(values), "reps": values}


def trainer(spec, adam_cfg, pool_steps=32):
    """Like kiln's fit: each epoch shuffles the data set and walks it in batches; the loss is read
    back every step (as a training loop that logs its running loss does)."""
    model = mlp(spec["inputs"], spec["hidden"], spec["classes"])
    opt = adam(model, adam_cfg)
    loss_fn = nn.CrossEntropyLoss()
    batch = spec["batch"]

    def prepare(steps):
        pool = min(steps, pool_steps)
        epochs = math.ceil(steps / pool)
        rows = pool * batch
        x = torch.rand(rows, spec["inputs"])
        y = torch.randint(0, spec["classes"], (rows,))

        def run():
            running = 0.0
            for _ in range(epochs):
                perm = torch.randperm(rows)
                for i in range(pool):
                    idx = perm[i * batch:(i + 1) * batch]
                    opt.zero_grad(set_to_none=True)
                    loss = loss_fn(model(x[idx]), y[idx])
                    loss.backward()
                    opt.step()
                    running += loss.item()
            return running

        run.steps = epochs * pool
        return run

    return prepare


def measure_throughput(prepare, batch, plan, max_steps):
    """The plan of bench/lib/measure.mjs measureThroughput, step for step."""
    start = time.perf_counter()
    warm = prepare(2)
    warm_steps, step_sec = 0, float("inf")
    while warm_steps < 2 or time.perf_counter() - start < plan["warmupSec"]:
        t = time.perf_counter()
        warm()
        dt = time.perf_counter() - t
        step_sec = dt / warm.steps
        warm_steps += warm.steps
        if time.perf_counter() - start > plan["budgetSec"] / 3:
            break
        if dt < plan["repSec"] / 4 and warm.steps * 2 <= max_steps:
            warm = prepare(warm.steps * 2)
    run = prepare(max(1, min(max_steps, round(plan["repSec"] / step_sec))))
    if run.steps * step_sec < 2:
        run()
    rates = []
    for r in range(plan["reps"]):
        if r >= plan["minReps"] and time.perf_counter() - start > plan["budgetSec"]:
            break
        t = time.perf_counter()
        run()
        rates.append(run.steps * batch / (time.perf_counter() - t))
    out = summarize(rates)
    timed = run.steps * len(rates)
    out.update(stepsPerRep=run.steps, timedSteps=timed, warmupSteps=warm_steps, secPerStep=batch / out["median"], capped=len(rates) < plan["reps"] or timed < 10)
    return out


def measure_latency(call, plan):
    """The plan of bench/lib/measure.mjs measureLatency: per-call times, median per repetition, in µs."""
    warm_end = time.perf_counter() + plan["warmupSec"] / 2
    n = 0
    while n < 50 or time.perf_counter() < warm_end:
        call()
        n += 1
    per_rep = max(20, round(plan["latencyCalls"] / plan["reps"]))
    rep_medians, all_times = [], []
    start = time.perf_counter()
    for r in range(plan["reps"]):
        if r >= plan["minReps"] and time.perf_counter() - start > plan["budgetSec"]:
            break
        times = []
        for _ in range(per_rep):
            t = time.perf_counter_ns()
            call()
            times.append((time.perf_counter_ns() - t) / 1000)
        rep_medians.append(median(times))
        all_times += times
    all_times.sort()
    out = summarize(rep_medians)
    out.update(callsPerRep=per_rep, p10=all_times[len(all_times) // 10], p90=all_times[len(all_times) * 9 // 10], mean=sum(all_times) / len(all_times))
    return out


def predict_one_row(spec):
    """W4: one row (a float32 array) in, probabilities out as a Python list."""
    model = mlp(spec["inputs"], spec["hidden"], spec["classes"]).eval()
    row = torch.rand(spec["inputs"]).numpy()

    def call():
        with torch.inference_mode():
            return torch.softmax(model(torch.from_numpy(row).view(1, -1)), dim=1).tolist()

    return call


def flops_per_sample(spec):
    w = [spec["inputs"], *spec["hidden"], spec["classes"]]
    return 6 * sum(w[i] * w[i + 1] for i in range(len(w) - 1))


def inproc(cfg):
    results = []
    for wid in cfg["workloads"]:
        if wid in cfg["train"]:
            spec = cfg["train"][wid]
            torch.manual_seed(1)
            r = measure_throughput(trainer(spec, cfg["adam"]), spec["batch"], cfg["plan"], 400 if wid == "W2" else 4000)
            results.append({"workload": wid, "mode": "loop", "unit": "samples/s", **r, "gflops": r["median"] * flops_per_sample(spec) / 1e9})
        elif wid == cfg["predict"]["id"]:
            r = measure_latency(predict_one_row(cfg["train"][cfg["predict"]["model"]]), cfg["plan"])
            results.append({"workload": wid, "mode": "predict", "unit": "µs/call", **r})
    return {"results": results}


def gemm(cfg):
    """GFLOP/s of torch.mm on the GEMMs of W1 and W2 (bench/workloads/spec.mjs gemmShapes), each in
    the transpose variant training uses: a transposed operand is a .t() view, as autograd makes it."""
    quick = cfg["plan"]["reps"] < 5
    results = []
    for sh in cfg["shapes"]:
        m, k, n, v = sh["m"], sh["k"], sh["n"], sh["variant"]
        a = torch.rand(k, m).t() if v[0] == "T" else torch.rand(m, k)
        b = torch.rand(n, k).t() if v[1] == "T" else torch.rand(k, n)
        out = torch.empty(m, n)
        t0, calls = time.perf_counter(), 0
        while time.perf_counter() - t0 < (0.05 if quick else 0.2):
            torch.mm(a, b, out=out)
            calls += 1
        per_call = (time.perf_counter() - t0) / calls
        reps = max(1, math.ceil((0.01 if quick else 0.025) / per_call))
        samples = []
        for _ in range(3 if quick else 7):
            t = time.perf_counter()
            for _ in range(reps):
                torch.mm(a, b, out=out)
            samples.append(2 * m * n * k * reps / (time.perf_counter() - t) / 1e9)
        results.append({**sh, "gflops": median(samples)})
    return {"results": results}


def pipeline(cfg):
    """W3: the seed pipeline, as in bench/workloads/kiln_pipeline.mjs."""
    p = cfg["pipeline"]
    torch.manual_seed(7)
    rows, feats, ntrain, batch = p["rows"], p["features"], p["trainRows"], p["batch"]
    direction = torch.randint(0, 2, (1, feats)).float() * 2 - 1
    y = (torch.arange(rows) % 2).float().view(rows, 1)
    x = torch.randn(rows, feats) + (y - 0.5) * direction * 1.5
    x_train_raw, x_test_raw, y_train, y_test = x[:ntrain], x[ntrain:], y[:ntrain], y[ntrain:]
    lo = x_train_raw.min(0, keepdim=True).values
    rng = (x_train_raw.max(0, keepdim=True).values - lo).clamp_min(1e-12)
    x_train, x_test = (x_train_raw - lo) / rng, (x_test_raw - lo) / rng
    model = mlp(feats, p["hidden"], 1)
    opt = adam(model, cfg["adam"])
    loss_fn = nn.BCEWithLogitsLoss()
    t_fit = time.perf_counter()
    val_acc = 0.0
    for _ in range(p["epochs"]):
        model.train()
        perm = torch.randperm(ntrain)
        total, correct = 0.0, 0
        for i in range(0, ntrain, batch):
            idx = perm[i:i + batch]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            correct += ((logits > 0).float() == yb).sum().item()
        model.eval()
        with torch.no_grad():
            logits = model(x_test)
            val_loss = loss_fn(logits, y_test).item()
            val_acc = ((logits > 0).float() == y_test).float().mean().item()
    t_end = time.perf_counter()
    return {"val_accuracy": val_acc, "val_loss": val_loss, "import_s": T_IMPORTED - T_START, "data_model_s": t_fit - T_IMPORTED, "fit_s": t_end - t_fit}


def blas_library():
    """The BLAS that torch's matmuls went to: Debian's torch calls the system libblas.so.3, and the
    netlib reference BLAS it falls back to is ~20x slower than OpenBLAS (install libopenblas0-pthread)."""
    torch.rand(8, 8) @ torch.rand(8, 8)
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return "unknown"
    return ", ".join(sorted(libs)) or "built in"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["inproc", "pipeline", "gemm"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--config", required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg = json.loads(args.config)
    out = {"inproc": inproc, "pipeline": pipeline, "gemm": gemm}[args.mode](cfg)
    out["info"] = {"version": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
