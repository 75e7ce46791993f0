// The page's script: the playground, mounted in the page.
import { mountPlayground } from "./playground.ts";

mountPlayground(document.getElementById("app")!);
