/** The article this folder reproduces. */
export const article = {
  slug: "unlocking-the-power-of-asynchronous-programming-in-python",
  title: "Unlocking the Power of Asynchronous Programming in Python: A Comprehensive Guide",
  author: "Jagrit Thapar",
  /** Where the text was taken from (the project's copy of the article). */
  source: "/work/shared/seeds/001_52b93e9e5ef78f28.txt",
} as const;
