#!/usr/bin/env python3
"""icecream_cluster.py [--icecc-version-from DIR] [--stage FILE]... WORKDIR COMMAND...: runs COMMAND against an icecream cluster on loopback
that exists only for the command: a scheduler, a daemon `localice` that takes no jobs (the one the
client talks to, as on a developer's machine) and a worker daemon `remoteice` that runs every
job in the chroot of the job's environment, as a remote machine would. COMMAND runs with
ICECC_TEST_SOCKET pointing at localice and ICECC_TEST_REMOTEBUILD / ICECC_PREFERRED_HOST (the
test hooks of icecream's own suite) sending its compiles to remoteice. Its output passes
through and its exit status is ours. Afterwards `remote jobs: N` (stdout) says how many compiles
remoteice ran, so a test can tell a remote compile from icecc's silent fallback to a local one.
--icecc-version-from DIR sets ICECC_VERSION to the one environment tarball in DIR (what
icecc-create-env made there). --stage FILE copies FILE where user icecc can read it and puts the
copy's path in its place in COMMAND: icecc's automatic environment is made by the daemon, as
that user, from the files the command names.
Needs root (the worker chroots into the environment). The daemons run as user icecc, which may
not reach WORKDIR (a checkout under /root): their logs, sockets and environments live in a
directory of their own in /tmp, and the logs are copied to
WORKDIR at the end."""
import glob
import os
import re
import shutil
import signal
import socket
import tempfile
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def which(name):
    for folder in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin", "/sbin"]:
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    sys.exit("icecream_cluster: %s not found" % name)


class Cluster:
    def __init__(self, workdir):
        self.logdir = workdir
        # In /tmp itself: lit points TMPDIR at a private (0700) directory of its own.
        self.workdir = tempfile.mkdtemp(prefix="fork-hazard-icecream-",
                                        dir="/tmp" if os.path.isdir("/tmp") else None)
        os.chmod(self.workdir, 0o777)  # the scheduler and the daemons write here as user icecc
        self.port = free_port()
        self.netname = "fork-hazard-%d" % os.getpid()
        self.processes = {}
        self.mark = 0
        # ICECC_TESTS lets the daemons and scheduler run several to a host; the port range is
        # where they look for the scheduler.
        self.env = dict(os.environ, ICECC_TESTS="1",
                        ICECC_TEST_SCHEDULER_PORTS="%d:%d" % (self.port, self.port),
                        ICECC_SCHEDULER="127.0.0.1:%d" % self.port,
                        ICECC_TEST_FLUSH_LOG_MARK=os.path.join(workdir, "flush-mark.txt"))

    def log(self, name):
        return os.path.join(self.workdir, name + ".log")

    def start(self, name, argv, env=None):
        self.processes[name] = subprocess.Popen(
            argv + ["-l", self.log(name), "-v", "-v", "-v"], env=env or self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_daemon(self, name, *options):
        env = dict(self.env, ICECC_TEST_SOCKET=self.socket(name))
        self.start(name, [which("iceccd"), "-b", os.path.join(self.workdir, "envs-" + name),
                          "-n", self.netname, "-N", name] + list(options), env)

    def stage(self, path):
        """A copy of path that user icecc can read (the same name, a directory per file)."""
        folder = tempfile.mkdtemp(dir=self.workdir)
        os.chmod(folder, 0o755)
        copy = os.path.join(folder, os.path.basename(path))
        shutil.copy(path, copy)
        os.chmod(copy, 0o644)
        return copy

    def socket(self, name):
        return os.path.join(self.workdir, "socket-" + name)

    def flush_logs(self):
        """SIGHUP makes each process write its buffered log and the mark; wait for the marks."""
        self.mark += 1
        with open(self.env["ICECC_TEST_FLUSH_LOG_MARK"], "w") as f:
            f.write("=%d=\n" % self.mark)
        for process in self.processes.values():
            process.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        for name in self.processes:
            while "flush log mark: =%d=" % self.mark not in self.read_log(name):
                if time.time() > deadline:
                    break
                time.sleep(0.1)

    def read_log(self, name):
        try:
            with open(self.log(name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_until_ready(self, timeout=30):
        wanted = {"scheduler": "scheduler ready", "localice": "Connected to scheduler",
                  "remoteice": "Connected to scheduler"}
        deadline = time.time() + timeout
        # A SIGHUP before a process has set up its handler would end it.
        while not all(os.path.exists(self.log(name)) for name in self.processes):
            for name, process in self.processes.items():
                if process.poll() is not None:
                    self.fail("%s exited with status %d" % (name, process.returncode))
            if time.time() > deadline:
                self.fail("the cluster wrote no logs in %ds" % timeout)
            time.sleep(0.2)
        time.sleep(1)
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    self.fail("%s exited with status %d" % (name, process.returncode))
            self.flush_logs()
            if "Cannot use chroot" in self.read_log("remoteice"):
                self.fail("the worker daemon cannot chroot, so it takes no remote jobs")
            if all(text in self.read_log(name) for name, text in wanted.items()):
                return
            if time.time() > deadline:
                self.fail("the cluster did not come up in %ds" % timeout)
            time.sleep(0.5)

    def fail(self, message):
        for name in self.processes:
            sys.stderr.write("---- %s\n%s" % (self.log(name), self.read_log(name)[-3000:]))
        self.stop()
        sys.exit("icecream_cluster: " + message)

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for name in self.processes:
            if os.path.exists(self.log(name)):
                shutil.copy(self.log(name), self.logdir)
        # The installed environments are a compiler and its libraries each (hundreds of MB).
        shutil.rmtree(self.workdir, ignore_errors=True)

    def remote_jobs(self):
        self.flush_logs()
        return len(re.findall(r"remote compile for file", self.read_log("remoteice")))


def main():
    args = sys.argv[1:]
    extra_env = {}
    staged = []
    while args[:1] in (["--icecc-version-from"], ["--stage"]) and len(args) > 1:
        if args[0] == "--stage":
            staged.append(os.path.abspath(args[1]))
        else:
            tarballs = glob.glob(os.path.join(args[1], "*.tar.gz"))
            if len(tarballs) != 1:
                sys.exit("icecream_cluster: %d environments in %s, expected one"
                         % (len(tarballs), args[1]))
            extra_env["ICECC_VERSION"] = tarballs[0]
        args = args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    workdir = os.path.abspath(args[0])
    os.makedirs(workdir, exist_ok=True)
    cluster = Cluster(workdir)
    try:
        cluster.start("scheduler", [which("icecc-scheduler"), "-p", str(cluster.port),
                                    "-n", cluster.netname])
        cluster.start_daemon("localice", "--no-remote", "-m", "0", "-p", str(free_port()))
        cluster.start_daemon("remoteice", "-p", str(free_port()), "-m", "1")
        cluster.wait_until_ready()
        env = dict(cluster.env, ICECC_TEST_SOCKET=cluster.socket("localice"),
                   ICECC_TEST_REMOTEBUILD="1", ICECC_PREFERRED_HOST="remoteice", **extra_env)
        command = args[1:]
        for original in staged:
            copy = cluster.stage(original)
            command = [arg.replace(original, copy) for arg in command]
        status = subprocess.call(command, env=env)
        sys.stdout.flush()
        print("remote jobs: %d" % cluster.remote_jobs())
    finally:
        cluster.stop()
    sys.exit(status)


if __name__ == "__main__":
    main()
