/** The article this folder reproduces. */
export const article = {
  slug: "unlocking-the-power-of-asynchronous-programming-in-python",
  title: "Unlocking the Power of Asynchronous Programming in Python: A Comprehensive Guide",
  author: "Jagrit Thapar",
} as const;
