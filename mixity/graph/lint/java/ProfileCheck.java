// The OWL API's OWL 2 DL profile checker over RDF files, for `mixity lint`.
// Usage: java -cp <OWL API jars>:<this folder> ProfileCheck FILE.nt... [-]
// Prints, for each file, "file<TAB>path" and then one line per violation:
// "violation<TAB>ViolationClass<TAB>message" (tabs and newlines in messages become spaces).
// With "-" last, more paths are then read from standard input, one per line, until its end:
// mixity starts the JVM with the files it has, and gives the others once it has written them.
// Imports are never followed (mixity removes owl:imports before writing the files).

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        for (String path : args) {
            if (path.equals("-")) {
                BufferedReader in = new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isEmpty()) {
                        check(line, config);
                    }
                }
            } else {
                check(path, config);
            }
        }
    }

    static void check(String path, OWLOntologyLoaderConfiguration config) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // N-Triples is Turtle: the OWL API's own Turtle parser reads it.
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(
            new FileDocumentSource(new File(path), new TurtleDocumentFormat()), config);
        System.out.println("file\t" + path);
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            String text = v.toString().replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
            System.out.println("violation\t" + v.getClass().getSimpleName() + "\t" + text);
        }
        System.out.flush();
    }
}
