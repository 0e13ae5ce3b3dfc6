"""What the deployment test runs: the systemd units' commands, nginx with the site from ``deploy/``, a certificate."""

import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/opt/onsite"  # where the units expect the checkout; the test runs this one instead


def unit_command(unit: str, **instance: str) -> tuple[list[str], dict[str, str]]:
    """A systemd unit's ExecStart and Environment, with ``%i`` and the install folder filled in."""
    command, env = None, {}
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        line = line.replace("%i", instance.get("i", "")).replace(INSTALL_DIR, str(ROOT))
        if line.startswith("Environment="):
            name, _, value = line.removeprefix("Environment=").partition("=")
            env[name] = value
        elif line.startswith("ExecStart="):
            command = line.removeprefix("ExecStart=").split()
    assert command, f"{unit} has no ExecStart"
    return command, env


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made for this test run only."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private.chmod(0o600)
    return cert, private


class Nginx:
    """Debian's nginx in the foreground, with the site rendered from ``deploy/nginx/onsite.conf``."""

    def __init__(self, folder: Path, upstream_ports: list[int], cert: Path, key: Path) -> None:
        self.folder = folder
        self.https_port, self.http_port = free_port(), free_port()
        self.values = {
            "UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{port};" for port in upstream_ports),
            "SERVER_NAME": "localhost",
            "HTTP_PORT": str(self.http_port),
            "HTTPS_PORT": str(self.https_port),
            "HTTPS_PORT_SUFFIX": f":{self.https_port}",
            "SSL_CERTIFICATE": str(cert),
            "SSL_CERTIFICATE_KEY": str(key),
            "STATIC_ROOT": str(ROOT / "static"),
        }
        self.process: subprocess.Popen | None = None

    def render_site(self) -> str:
        site = (DEPLOY / "nginx" / "onsite.conf").read_text()
        for name, value in self.values.items():
            site = site.replace(f"@@{name}@@", value)
        assert "@@" not in site, "a placeholder of deploy/nginx/onsite.conf has no value"
        return site

    def start(self) -> "Nginx":
        (self.folder / "onsite.conf").write_text(self.render_site())
        temp = {kind: self.folder / kind for kind in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir(exist_ok=True)
        user = "user root;" if os.geteuid() == 0 else ""  # workers that can read the test's files
        (self.folder / "nginx.conf").write_text(
            f"""{user}
daemon off;
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.folder}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {self.folder}/onsite.conf;
}}
"""
        )
        command = [nginx_binary(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-e", "stderr"]
        with (self.folder / "nginx.out").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.https_port, self.process, self.folder / "nginx.out")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # nginx's fast shutdown
            self.process.wait(timeout=10)


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after 30 s")


def wait_for_app(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the app on {port} did not start in 60 s")
