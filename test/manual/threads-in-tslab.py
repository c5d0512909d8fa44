"""
Manual check of the two-thread products in the real tslab kernel (what test/unit/threads.test.ts
checks with vm.runInThisContext in a child process): a cell looping on two-thread products is
interrupted; the next cell's products are right (the bits of one thread); the kernel restarts and
shuts down cleanly. Needs `npm run build` first.

    bash scripts/jupyter-env.sh python test/manual/threads-in-tslab.py
"""
import pathlib, queue, time
from jupyter_client import KernelManager
km = KernelManager(kernel_name='tslab')
km.start_kernel(cwd=str(pathlib.Path(__file__).resolve().parents[2] / 'notebooks'))
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
def run(code, timeout=120, interrupt_after=None):
    msg_id = kc.execute(code)
    t0 = time.time(); out = []; interrupted = False
    while True:
        if interrupt_after is not None and not interrupted and time.time() - t0 > interrupt_after:
            km.interrupt_kernel(); interrupted = True
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            if time.time() - t0 > timeout: raise RuntimeError('timeout')
            continue
        if msg['parent_header'].get('msg_id') != msg_id: continue
        t = msg['msg_type']
        if t == 'stream': out.append(msg['content']['text'])
        elif t == 'error': out.append('ERROR ' + msg['content']['ename'] + ': ' + msg['content']['evalue'])
        elif t == 'status' and msg['content']['execution_state'] == 'idle': break
    return ''.join(out), time.time() - t0
setup = """import { Matrix, kernelThreads, setKernelThreads, matmulInto } from '../dist';
const A = Matrix.from(Array.from({ length: 1500 }, (_, i) => Array.from({ length: 400 }, (_, j) => Math.sin(i * 400 + j))));
const B = Matrix.from(Array.from({ length: 400 }, (_, i) => Array.from({ length: 300 }, (_, j) => Math.cos(i * 300 + j))));
const C0 = A.matmul(B);
console.log('threads', kernelThreads());"""
print(run(setup))
print(run("let n = 0; const t0 = Date.now(); while (Date.now() - t0 < 60000) { A.matmul(B); n++; } console.log('not interrupted', n);", interrupt_after=3))
time.sleep(0.5)
print(run("""setKernelThreads(1); const ref = A.matmul(B); setKernelThreads(2);
let same = true; for (let r = 0; r < 5; r++) { const C = A.matmul(B); for (let i = 0; i < C.data.length; i++) if (!Object.is(C.data[i], ref.data[i])) same = false; }
console.log('after interrupt, 2 threads = 1 thread bit for bit:', same, '; C0 equal too:', C0.equals(ref));"""))
t = time.time(); km.restart_kernel(now=False); kc.wait_for_ready(timeout=60); print('restart took %.1f s' % (time.time() - t))
print(run("import { kernelThreads } from '../dist'; console.log('after restart threads', kernelThreads());"))
kc.stop_channels(); km.shutdown_kernel(now=False); print('shutdown ok, alive =', km.is_alive())
