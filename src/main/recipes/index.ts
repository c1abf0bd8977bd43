export { RecipeDesk, type RecipeBook, type RecipeDeskOptions } from './recipe-desk';
export { recipeCommands } from './commands';
