// Every public class, function and method has TSDoc with an @example: the API reference
// in editors is the documentation users read first.
import ts from "typescript";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const INDEX = fileURLToPath(new URL("../src/index.ts", import.meta.url));

/** Exported functions and classes, and the public methods of the classes, with no @example. */
function withoutExamples(): string[] {
  const program = ts.createProgram([INDEX], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const hasExample = (symbol: ts.Symbol) => symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
  const missing: string[] = [];
  const index = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  for (const exported of checker.getExportsOfModule(index)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) continue;
    if (!hasExample(symbol)) missing.push(exported.name);
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
      const declaration = member.declarations?.[0];
      if (!(member.flags & ts.SymbolFlags.Method) || member.name.startsWith("_") || declaration === undefined) continue;
      if (!declaration.getSourceFile().fileName.includes("/src/")) continue; // inherited from Error & co.
      if (ts.getCombinedModifierFlags(declaration as ts.Declaration) & ts.ModifierFlags.Private) continue;
      if (!hasExample(member)) missing.push(`${exported.name}.${member.name}`);
    }
  }
  return missing;
}

it("every exported class, function and public method has an @example", () => {
  expect(withoutExamples()).toEqual([]);
}, 60_000);
