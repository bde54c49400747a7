"""OWL checks shared by the tests: HermiT through owlready2, and the OWL API's OWL 2 DL profile."""

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

# Prints OWL 2 DL profile violations and triples the OWL API could not parse; exits 1 if any.
OWLAPI_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class DLCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        int problems = 0;
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        if (format instanceof RDFDocumentFormat) {
            var meta = ((RDFDocumentFormat) format).getOntologyLoaderMetaData();
            if (meta.isPresent()) {
                for (Object triple : meta.get().getUnparsedTriples().toArray()) {
                    System.out.println("UNPARSED " + triple);
                    problems++;
                }
            }
        }
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            System.out.println("VIOLATION " + v);
            problems++;
        }
        System.out.println(problems == 0 ? "OK" : "FAILED " + problems);
        System.exit(problems == 0 ? 0 : 1);
    }
}
"""
# Debian's libowlapi-java and the jars it depends on.
JAVA_DIR = Path("/usr/share/java")
OWLAPI_JARS = """
    owlapi-distribution.jar guava.jar caffeine.jar commons-io.jar commons-codec.jar
    commons-logging.jar commons-rdf-api.jar hppcrt.jar jsr305.jar atinject-jsr330-api.jar
    slf4j-api.jar slf4j-nop.jar xz.jar jackson-core.jar jackson-databind.jar jackson-annotations.jar
""".split()


def require_java() -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not on PATH: HermiT (run by owlready2) needs a Java runtime")


def reason(graph: Graph, tmp_path: Path) -> list:
    """Run HermiT on `graph` and return the classes found equivalent to owl:Nothing."""
    owlready2 = pytest.importorskip("owlready2")
    path = tmp_path / "graph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    return list(world.inconsistent_classes())


def owl2_dl_problems(path: Path, tmp_path: Path) -> list[str]:
    """Return the OWL 2 DL profile violations and unparsed triples the OWL API reports."""
    jars = [JAVA_DIR / name for name in OWLAPI_JARS] + sorted(JAVA_DIR.glob("rdf4j-*.jar"))
    missing = [jar.name for jar in jars if not jar.is_file()]
    if missing:
        pytest.skip(f"the OWL API is not installed (Debian: libowlapi-java); missing {missing}")
    if shutil.which("javac") is None:
        pytest.skip("javac is not on PATH: running the OWL API check from source needs a JDK")
    source = tmp_path / "DLCheck.java"
    source.write_text(OWLAPI_CHECK, encoding="utf-8")
    result = subprocess.run(
        ["java", "-cp", ":".join(str(jar) for jar in jars), str(source), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode == 0 and result.stdout.strip().endswith("OK"):
        return []
    return [line for line in result.stdout.splitlines() if not line.startswith("OK")] or [
        result.stderr[-2000:]
    ]
