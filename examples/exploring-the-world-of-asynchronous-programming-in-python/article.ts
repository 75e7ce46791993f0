/** The article this folder reproduces. */
export const article = {
  slug: "exploring-the-world-of-asynchronous-programming-in-python",
  title: "Exploring the World of Asynchronous Programming in Python: A Comprehensive Guide",
  /** The post names no author (a blog post of 2023-01-30, "advanced python"). */
  author: null,
  /** Where the text was taken from (the project's copy of the article). */
  source: "/work/shared/seeds/000_80d7a8ffc2b92cec.txt",
} as const;
